import { isValidElement, type ReactNode } from 'react';

/**
 * Charts drawn on the server as SVG: no script, no library, colours from the theme's CSS
 * variables (so they follow dark mode). The SVG is decoration for sighted readers; every chart
 * carries its numbers in a table that screen readers get instead.
 */

const width = 880;
const height = 240;
const margin = { top: 12, right: 16, bottom: 36, left: 44 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

export type Series = {
  key: string;
  label: string;
  tone: 'accent' | 'success' | 'danger' | 'muted' | 'warning';
};

/** Round steps for an axis: 1, 2, 5 × 10^n, about four of them. */
function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 0.001; value += step)
    ticks.push(Number(value.toFixed(6)));
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number(((ticks.at(-1) ?? 0) + step).toFixed(6)));
  return ticks;
}

const formatTick = (value: number) =>
  value >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Math.round(value * 10) / 10);

/** Which x labels to draw so they never overlap: about ten, always the last one. */
function labelled(index: number, count: number) {
  const every = Math.max(1, Math.ceil(count / 10));
  return (count - 1 - index) % every === 0;
}

/** A label on up to two lines, split at the space nearest its middle. */
function AxisLabel({ x, text }: { x: number; text: string }) {
  const middle = text.length / 2;
  const spaces = [...text.matchAll(/ /g)].map((match) => match.index);
  const split =
    text.length > 14 && spaces.length > 0
      ? spaces.reduce((best, index) =>
          Math.abs(index - middle) < Math.abs(best - middle) ? index : best,
        )
      : -1;
  if (split === -1)
    return (
      <text className="chart-tick" x={x} y={height - 14} textAnchor="middle">
        {text}
      </text>
    );
  return (
    <text className="chart-tick" x={x} y={height - 20} textAnchor="middle">
      <tspan x={x}>{text.slice(0, split)}</tspan>
      <tspan x={x} dy={13}>
        {text.slice(split + 1)}
      </tspan>
    </text>
  );
}

function Axes({
  ticks,
  scale,
  suffix = '',
}: {
  ticks: number[];
  scale: (value: number) => number;
  suffix?: string;
}) {
  return (
    <g>
      {ticks.map((tick) => (
        <g key={tick}>
          <line
            className="chart-grid"
            x1={margin.left}
            x2={width - margin.right}
            y1={scale(tick)}
            y2={scale(tick)}
          />
          <text className="chart-tick" x={margin.left - 6} y={scale(tick) + 4} textAnchor="end">
            {formatTick(tick)}
            {suffix}
          </text>
        </g>
      ))}
    </g>
  );
}

function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((item) => (
        <li key={item.key}>
          <span className={`chart-swatch tone-${item.tone}`} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

function ChartFrame({
  title,
  description,
  legend,
  children,
  table,
}: {
  title: string;
  description?: ReactNode;
  legend?: ReactNode;
  children: ReactNode;
  table: ReactNode;
}) {
  return (
    <figure className="chart">
      <figcaption>
        <span className="chart-title">{title}</span>
        {description ? <span className="chart-description">{description}</span> : null}
      </figcaption>
      {legend}
      <svg
        className="chart-svg"
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="xMidYMid meet"
        aria-hidden="true"
        focusable="false"
      >
        {children}
      </svg>
      {table}
    </figure>
  );
}

export type ChartTable = {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
};

/** A cell that needs a class of its own (a bar beside its number, a warning colour). */
export type StyledCell = { content: ReactNode; className?: string };
export type TableCell = ReactNode | StyledCell;

function isStyledCell(cell: TableCell): cell is StyledCell {
  return typeof cell === 'object' && cell !== null && !isValidElement(cell) && 'content' in cell;
}

/**
 * Rows of numbers with a header row; the first cell of each row heads it. A chart's numbers are
 * for screen readers (visually hidden: the chart shows them); a visible table is named by its
 * caption, kept for screen readers, or by the heading it sits under (`labelledBy`).
 */
export function NumbersTable({
  table,
  visible = false,
  labelledBy,
}: {
  table: { caption?: string; columns: string[]; rows: TableCell[][] };
  visible?: boolean;
  labelledBy?: string;
}) {
  return (
    <table
      className={visible ? 'table table-compact' : 'visually-hidden'}
      aria-labelledby={labelledBy}
    >
      {table.caption ? (
        <caption className={visible ? 'visually-hidden' : undefined}>{table.caption}</caption>
      ) : null}
      <thead>
        <tr>
          {table.columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, index) => (
          <tr key={index}>
            {row.map((cell, cellIndex) => {
              const { content, className } = isStyledCell(cell) ? cell : { content: cell };
              return cellIndex === 0 ? (
                <th scope="row" key={cellIndex} className={className}>
                  {content}
                </th>
              ) : (
                <td key={cellIndex} className={className}>
                  {content}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A line over time; points with a null value leave a gap, hollow points are provisional. */
export function LineChart({
  title,
  description,
  points,
  tone = 'accent',
  table,
}: {
  title: string;
  description?: ReactNode;
  points: { label: string; value: number | null; provisional?: boolean }[];
  tone?: Series['tone'];
  table: ChartTable;
}) {
  const max = Math.max(0, ...points.map((point) => point.value ?? 0));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const x = (index: number) =>
    points.length > 1 ? margin.left + index * step : margin.left + plotWidth / 2;
  const segments: string[] = [];
  let current = '';
  points.forEach((point, index) => {
    if (point.value === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  return (
    <ChartFrame title={title} description={description} table={<NumbersTable table={table} />}>
      <Axes ticks={ticks} scale={y} />
      {segments.map((path) => (
        <path key={path} className={`chart-line tone-${tone}`} d={path} />
      ))}
      {points.map((point, index) =>
        point.value === null ? null : (
          <circle
            key={point.label}
            className={`chart-point tone-${tone}${point.provisional ? ' chart-point-provisional' : ''}`}
            cx={x(index)}
            cy={y(point.value)}
            r={4}
          />
        ),
      )}
      {points.map((point, index) =>
        labelled(index, points.length) ? (
          <AxisLabel key={point.label} x={x(index)} text={point.label} />
        ) : null,
      )}
    </ChartFrame>
  );
}

/** Bars over time, each split into the series (what resolved tickets, searches found or not). */
export function StackedBarChart({
  title,
  description,
  series,
  bars,
  table,
}: {
  title: string;
  description?: ReactNode;
  series: Series[];
  bars: { label: string; values: Record<string, number> }[];
  table: ChartTable;
}) {
  const totals = bars.map((bar) =>
    series.reduce((sum, item) => sum + (bar.values[item.key] ?? 0), 0),
  );
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.max(2, Math.min(36, slot * 0.7));
  return (
    <ChartFrame
      title={title}
      description={description}
      legend={<Legend series={series} />}
      table={<NumbersTable table={table} />}
    >
      <Axes ticks={ticks} scale={y} />
      {bars.map((bar, index) => {
        let base = 0;
        const left = margin.left + index * slot + (slot - barWidth) / 2;
        return (
          <g key={bar.label}>
            {series.map((item) => {
              const value = bar.values[item.key] ?? 0;
              if (value <= 0) return null;
              const rect = (
                <rect
                  key={item.key}
                  className={`chart-bar tone-${item.tone}`}
                  x={left}
                  width={barWidth}
                  y={y(base + value)}
                  height={Math.max(0, y(base) - y(base + value))}
                />
              );
              base += value;
              return rect;
            })}
          </g>
        );
      })}
      {bars.map((bar, index) =>
        labelled(index, bars.length) ? (
          <AxisLabel key={bar.label} x={margin.left + index * slot + slot / 2} text={bar.label} />
        ) : null,
      )}
    </ChartFrame>
  );
}

/** Bars over time, the series side by side (tickets created beside tickets solved). */
export function GroupedBarChart({
  title,
  description,
  series,
  bars,
  table,
}: {
  title: string;
  description?: ReactNode;
  series: Series[];
  bars: { label: string; values: Record<string, number> }[];
  table: ChartTable;
}) {
  const ticks = niceTicks(
    Math.max(0, ...bars.flatMap((bar) => series.map((item) => bar.values[item.key] ?? 0))),
  );
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.max(1.5, Math.min(18, (slot * 0.8) / series.length));
  return (
    <ChartFrame
      title={title}
      description={description}
      legend={<Legend series={series} />}
      table={<NumbersTable table={table} />}
    >
      <Axes ticks={ticks} scale={y} />
      {bars.map((bar, index) => {
        const left = margin.left + index * slot + (slot - barWidth * series.length) / 2;
        return (
          <g key={bar.label}>
            {series.map((item, seriesIndex) => {
              const value = bar.values[item.key] ?? 0;
              return value > 0 ? (
                <rect
                  key={item.key}
                  className={`chart-bar tone-${item.tone}`}
                  x={left + seriesIndex * barWidth}
                  width={Math.max(1, barWidth - 1)}
                  y={y(value)}
                  height={Math.max(0, y(0) - y(value))}
                />
              ) : null;
            })}
          </g>
        );
      })}
      {bars.map((bar, index) =>
        labelled(index, bars.length) ? (
          <AxisLabel key={bar.label} x={margin.left + index * slot + slot / 2} text={bar.label} />
        ) : null,
      )}
    </ChartFrame>
  );
}

/**
 * Groups of bars side by side, each series as its share of its own total, so series of very
 * different sizes (articles, tickets, searches) compare by where they fall.
 */
export function ShareBarChart({
  title,
  description,
  series,
  groups,
  table,
  tableVisible = false,
}: {
  title: string;
  description?: ReactNode;
  series: Series[];
  groups: { label: string; values: Record<string, number> }[];
  table: ChartTable;
  /** Show the counts under the chart too (the bars show shares, not counts). */
  tableVisible?: boolean;
}) {
  const totals = Object.fromEntries(
    series.map((item) => [
      item.key,
      groups.reduce((sum, group) => sum + (group.values[item.key] ?? 0), 0),
    ]),
  );
  const share = (group: (typeof groups)[number], key: string) =>
    totals[key] ? ((group.values[key] ?? 0) / (totals[key] ?? 1)) * 100 : 0;
  const max = Math.max(
    0,
    ...groups.flatMap((group) => series.map((item) => share(group, item.key))),
  );
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, groups.length);
  const barWidth = Math.max(3, Math.min(28, (slot * 0.8) / series.length));
  return (
    <ChartFrame
      title={title}
      description={description}
      legend={<Legend series={series} />}
      table={<NumbersTable table={table} visible={tableVisible} />}
    >
      <Axes ticks={ticks} scale={y} suffix="%" />
      {groups.map((group, index) => {
        const left = margin.left + index * slot + (slot - barWidth * series.length) / 2;
        return (
          <g key={group.label}>
            {series.map((item, seriesIndex) => {
              const value = share(group, item.key);
              return (
                <rect
                  key={item.key}
                  className={`chart-bar tone-${item.tone}`}
                  x={left + seriesIndex * barWidth}
                  width={barWidth - 1}
                  y={y(value)}
                  height={Math.max(0, y(0) - y(value))}
                />
              );
            })}
            <AxisLabel x={margin.left + index * slot + slot / 2} text={group.label} />
          </g>
        );
      })}
    </ChartFrame>
  );
}

/** A bar inside a table cell, for ranked lists (top queries, groups of tickets). */
export function InlineBar({
  value,
  max,
  tone = 'accent',
}: {
  value: number;
  max: number;
  tone?: Series['tone'];
}) {
  const share = max > 0 ? Math.max(0.02, value / max) : 0;
  return (
    <span className="inline-bar" aria-hidden="true">
      <span
        className={`inline-bar-fill tone-${tone}`}
        style={{ width: `${(share * 100).toFixed(1)}%` }}
      />
    </span>
  );
}
