import type { ReactNode } from 'react';
import { Form, useNavigation } from '@remix-run/react';
import { journeyStages } from '#db/schema';
import { Field, SelectField } from './forms';
import { MarkdownEditor } from './markdown-editor';
import { journeyStageLabels } from '~/models/journey-stages';

type Values = Partial<
  Record<
    'title' | 'slug' | 'body' | 'categoryId' | 'tags' | 'journeyStage' | 'ownerId' | 'reason',
    string
  >
>;

export function ArticleForm({
  values,
  errors,
  categories,
  staff,
  submitLabel,
  editing = false,
  children,
}: {
  values?: Values;
  errors?: Record<string, string>;
  categories: { id: number; name: string }[];
  staff: { id: number; display_name: string }[];
  submitLabel: string;
  editing?: boolean;
  /** More fields (who may see the article), before the change note. */
  children?: ReactNode;
}) {
  const busy = useNavigation().state === 'submitting';
  return (
    <Form method="post" encType="multipart/form-data" className="stack" noValidate>
      <input type="hidden" name="intent" value="save" />
      <Field
        label="Title"
        name="title"
        defaultValue={values?.title}
        error={errors?.title}
        maxLength={150}
        required
      />
      <Field
        label="Address"
        name="slug"
        defaultValue={values?.slug}
        error={errors?.slug}
        hint={
          editing
            ? 'The part after /kb/. If you change it, the old address keeps working.'
            : 'The part after /kb/. Leave empty to make one from the title.'
        }
        maxLength={80}
      />
      <MarkdownEditor
        label="Article"
        defaultValue={values?.body}
        error={errors?.body}
        attachmentError={errors?.attachments}
        rows={18}
        hint="Use ## and ### headings: they become the table of contents."
      />
      <div className="field-row">
        <SelectField
          label="Category"
          name="categoryId"
          defaultValue={values?.categoryId ?? ''}
          error={errors?.categoryId}
        >
          <option value="">No category</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Journey stage"
          name="journeyStage"
          defaultValue={values?.journeyStage ?? ''}
          error={errors?.journeyStage}
        >
          <option value="">Any stage</option>
          {journeyStages.map((stage) => (
            <option key={stage} value={stage}>
              {journeyStageLabels[stage]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Owner"
          name="ownerId"
          defaultValue={values?.ownerId ?? ''}
          error={errors?.ownerId}
          hint="Keeps it accurate and verifies it when the review is due."
        >
          <option value="">Me</option>
          {staff.map((person) => (
            <option key={person.id} value={person.id}>
              {person.display_name}
            </option>
          ))}
        </SelectField>
      </div>
      <Field
        label="Tags"
        name="tags"
        defaultValue={values?.tags}
        error={errors?.tags}
        hint="Up to 5, separated by spaces. Shared tags connect related articles and threads."
        autoComplete="off"
      />
      {children}
      {editing ? (
        <Field
          label="Change note (optional)"
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
