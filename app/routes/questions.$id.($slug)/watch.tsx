import { Form, useNavigation } from '@remix-run/react';

/**
 * "Watch" mails a signed-in reader each new answer; "Watching" (pressed again) stops it. The asker
 * and answerers watch by default. A plain form POST, so it works without JavaScript.
 */
export function WatchButton({ watching }: { watching: boolean }) {
  const navigation = useNavigation();
  const pending = navigation.formData?.get('intent') === 'watch';
  // While the POST is in flight, show where it is going.
  const shown = pending ? navigation.formData?.get('watching') === 'on' : watching;
  return (
    <Form method="post" className="watch-form" preventScrollReset>
      <input type="hidden" name="watching" value={shown ? 'off' : 'on'} />
      <button
        type="submit"
        name="intent"
        value="watch"
        className={
          shown ? 'button button-small watch-button watching' : 'button button-small watch-button'
        }
        aria-describedby="watch-hint"
        disabled={pending}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          {shown ? (
            <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2.4" />
          ) : (
            <path
              d="M12 3a6 6 0 0 0-6 6v3.6L4.4 16h15.2L18 12.6V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinejoin="round"
            />
          )}
        </svg>
        {shown ? 'Watching' : 'Watch'}
      </button>
      <span id="watch-hint" className="visually-hidden">
        {shown ? 'You get each new answer by mail; press to stop.' : 'Get each new answer by mail.'}
      </span>
    </Form>
  );
}
