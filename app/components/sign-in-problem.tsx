import { Link } from '@remix-run/react';

/** Why a sign-in with a provider did not work, with the way back to the sign-in page. */
export function SignInProblem({ title, message }: { title: string; message: string }) {
  return (
    <div className="auth-page">
      <div className="card auth-card stack">
        <h1>{title}</h1>
        <p role="alert">{message}</p>
        <p>
          <Link className="button" to="/login">
            Back to sign in
          </Link>
        </p>
      </div>
    </div>
  );
}
