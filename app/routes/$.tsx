import { ErrorPage, GeneralErrorBoundary } from '~/components/error-page';

export function loader() {
  throw new Response('Not found', { status: 404 });
}

export default function NotFound() {
  return <ErrorPage status={404} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
