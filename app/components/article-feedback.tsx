import { Form } from '@remix-run/react';
import { feedbackReasons } from '#db/schema';
import { feedbackReasonLabels } from '~/models/article-workflow';

type Feedback = { helpful: number; reason: string | null; comment: string | null } | null;

/** "Did this article help?": yes or no, then what was wrong when it did not. */
export function ArticleFeedbackForm({ feedback }: { feedback: Feedback }) {
  if (feedback?.helpful === 1) {
    return (
      <Form method="post" className="feedback-row" preventScrollReset>
        <p>Thanks, glad it helped.</p>
        <button type="submit" name="helpful" value="no" className="link-button">
          Actually, it did not help
        </button>
      </Form>
    );
  }
  if (feedback?.helpful === 0) {
    return (
      <Form method="post" className="stack feedback-reasons" preventScrollReset>
        <fieldset>
          <legend>Sorry about that. What was wrong?</legend>
          {feedbackReasons.map((reason) => (
            <label key={reason} className="radio">
              <input
                type="radio"
                name="reason"
                value={reason}
                defaultChecked={feedback.reason === reason}
              />{' '}
              {feedbackReasonLabels[reason]}
            </label>
          ))}
        </fieldset>
        <label htmlFor="feedback-comment">What should we fix? (optional)</label>
        <textarea
          id="feedback-comment"
          name="comment"
          rows={3}
          maxLength={1000}
          defaultValue={feedback.comment ?? ''}
        />
        <div className="feedback-row">
          <button type="submit" name="helpful" value="no" className="button button-small">
            Send feedback
          </button>
          <button type="submit" name="helpful" value="yes" className="link-button" formNoValidate>
            Actually, it helped
          </button>
        </div>
      </Form>
    );
  }
  return (
    <Form method="post" className="feedback-row" preventScrollReset>
      <button type="submit" name="helpful" value="yes" className="button button-secondary">
        Yes
      </button>
      <button type="submit" name="helpful" value="no" className="button button-secondary">
        No
      </button>
    </Form>
  );
}
