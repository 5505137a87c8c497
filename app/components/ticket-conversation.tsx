import { Prose } from './posts';
import { formatDate } from '~/utils/dates';

type Message = {
  id: number;
  kind: 'reply' | 'note';
  body_html: string;
  author_id: number;
  author_name: string;
  author_role: string;
  created_at: string;
};

/** The ticket's first message and every message after it, oldest first; notes stand out. */
export function TicketConversation({
  ticket,
  messages,
}: {
  ticket: { body_html: string; requester_id: number; requester_name: string; created_at: string };
  messages: Message[];
}) {
  return (
    <ol className="conversation" aria-label="Conversation">
      <li className="message message-customer">
        <MessageHeader name={ticket.requester_name} at={ticket.created_at} />
        <Prose html={ticket.body_html} />
      </li>
      {messages.map((message) => {
        const fromTeam =
          message.author_id !== ticket.requester_id && message.author_role !== 'member';
        const className =
          message.kind === 'note'
            ? 'message message-note'
            : fromTeam
              ? 'message message-team'
              : 'message message-customer';
        return (
          <li key={message.id} id={`message-${message.id}`} className={className}>
            <MessageHeader
              name={message.author_name}
              at={message.created_at}
              label={message.kind === 'note' ? 'Internal note' : fromTeam ? 'Support team' : null}
            />
            <Prose html={message.body_html} />
          </li>
        );
      })}
    </ol>
  );
}

function MessageHeader({ name, at, label }: { name: string; at: string; label?: string | null }) {
  return (
    <p className="message-header">
      <strong>{name}</strong>
      {label ? <span className="badge badge-soft">{label}</span> : null}
      <time dateTime={at} className="muted">
        {formatDate(at)}
      </time>
    </p>
  );
}
