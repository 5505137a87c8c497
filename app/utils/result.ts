import type { FieldErrors } from './forms.server';

/**
 * What a model function answers when it will not do what was asked: the status a route answers
 * with (400 bad input, 403 not allowed, 404 not there) and a sentence for the person. Forms that
 * fail validation carry their field errors too.
 */
export type Failure = {
  ok: false;
  status: 400 | 403 | 404;
  error: string;
  fieldErrors?: FieldErrors;
};

/** A model function's answer: its data on success, or a Failure. */
export type Result<T extends object = object> = ({ ok: true } & T) | Failure;
