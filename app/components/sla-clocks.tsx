import { slaMetricLabels } from '~/models/sla/labels';
import type { SlaClock } from '~/models/sla/clocks';

/** 95 → "1 h 35 min"; 3000 → "2 d 2 h". Wall-clock time, not business hours. */
export function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function clockText(clock: SlaClock): string {
  if (clock.state === 'met') return 'met';
  if (clock.state === 'breached') return `breached by ${durationText(clock.minutes)}`;
  return `${durationText(clock.minutes)} left`;
}

/** A ticket's SLA clocks: what is due, and whether it was met, is late, or how long is left. */
export function SlaClocks({ clocks, compact = false }: { clocks: SlaClock[]; compact?: boolean }) {
  // In the desk's table a clock already met says nothing worth its line.
  const shown = compact ? clocks.filter((clock) => clock.state !== 'met') : clocks;
  if (shown.length === 0) return compact ? null : <p className="muted">No service-level target.</p>;
  return (
    <ul className="sla-clocks">
      {shown.map((clock) => (
        <li key={clock.metric} className={`sla-clock sla-${clock.state}`}>
          <span className="sla-metric">{slaMetricLabels[clock.metric]}</span>{' '}
          <time
            dateTime={clock.dueAt}
            title={`Due ${clock.dueAt.replace('T', ' ').slice(0, 16)} UTC`}
          >
            {clockText(clock)}
          </time>
        </li>
      ))}
    </ul>
  );
}
