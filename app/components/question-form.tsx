import { Form, useNavigation } from '@remix-run/react';
import { journeyStages } from '#db/schema';
import { journeyStageLabels } from '~/models/journey-stages';
import { Field, SelectField } from './forms';
import { MarkdownEditor } from './markdown-editor';
import { SimilarContent } from './search-box';
import { useState } from 'react';

type Values = Partial<
  Record<'title' | 'body' | 'categoryId' | 'tags' | 'journeyStage' | 'reason', string>
>;

export function QuestionForm({
  values,
  errors,
  categories,
  suggestedTags,
  submitLabel,
  editing = false,
}: {
  values?: Values;
  errors?: Record<string, string>;
  categories: { id: number; name: string }[];
  suggestedTags: string[];
  submitLabel: string;
  editing?: boolean;
}) {
  const busy = useNavigation().state === 'submitting';
  const [title, setTitle] = useState(values?.title ?? '');
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className={editing ? 'stack' : 'stack form-with-similar'}
      noValidate
    >
      <Field
        label="Title"
        name="title"
        onChange={(event) => setTitle(event.target.value)}
        defaultValue={values?.title}
        error={errors?.title}
        hint="Be specific, as if you were asking a colleague: “Bank feed stopped importing after I changed my password”."
        maxLength={150}
        required
      />
      {editing ? null : <SimilarContent title={title} />}
      <MarkdownEditor
        label="Details"
        defaultValue={values?.body}
        error={errors?.body}
        attachmentError={errors?.attachments}
        hint="What are you trying to do, what did you try, and what happened? Markdown works, and so do @mentions."
        rows={12}
        required
      />
      <div className="field-row">
        <SelectField
          label="Category"
          name="categoryId"
          defaultValue={values?.categoryId ?? ''}
          error={errors?.categoryId}
        >
          <option value="">Choose a category…</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Where are you with the product? (optional)"
          name="journeyStage"
          defaultValue={values?.journeyStage ?? ''}
          error={errors?.journeyStage}
        >
          <option value="">Rather not say</option>
          {journeyStages.map((stage) => (
            <option key={stage} value={stage}>
              {journeyStageLabels[stage]}
            </option>
          ))}
        </SelectField>
      </div>
      <Field
        label="Tags"
        name="tags"
        defaultValue={values?.tags}
        error={errors?.tags}
        hint={
          suggestedTags.length
            ? `Up to 5, separated by spaces. Popular: ${suggestedTags.slice(0, 12).join(', ')}`
            : 'Up to 5, separated by spaces.'
        }
        list="tag-suggestions"
        autoComplete="off"
      />
      <datalist id="tag-suggestions">
        {suggestedTags.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
      {editing ? (
        <Field
          label="Edit summary (optional)"
          name="reason"
          defaultValue={values?.reason}
          error={errors?.reason}
          maxLength={300}
        />
      ) : null}
      <div>
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
