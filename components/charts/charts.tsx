"use client";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

// Charts in the manner of shadcn's chart components: recharts with the theme's
// CSS variables (readable in light and dark), axes, a legend and a tooltip
// styled like the app's popovers. Loaded on demand (./lazy.tsx).

export type Series = { key: string; label: string; color: string };

const axis = { fill: "var(--muted-foreground)", fontSize: 11 };

function ChartTooltip({
  active,
  payload,
  label,
  unit,
  labelOf,
}: {
  active?: boolean;
  payload?: readonly { dataKey?: unknown; name?: unknown; value?: unknown; color?: string }[];
  label?: unknown;
  unit?: string;
  labelOf: (x: string) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="bg-popover text-popover-foreground rounded-md border px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-medium">{labelOf(String(label))}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)} className="flex items-center gap-2">
          <span className="size-2 rounded-sm" style={{ background: p.color }} aria-hidden />
          <span className="text-muted-foreground">{String(p.name)}</span>
          <span className="ml-auto font-mono tabular-nums">
            {p.value === null || p.value === undefined ? "—" : `${String(p.value)}${unit ?? ""}`}
          </span>
        </p>
      ))}
    </div>
  );
}

const legendLabel = (value: string) => <span className="text-foreground">{value}</span>;

type ChartProps = {
  data: Record<string, unknown>[];
  x: string;
  series: Series[];
  /** The x value as a tick label and as the tooltip's heading. */
  tick: (x: string) => string;
  heading: (x: string) => string;
  unit?: string;
  height?: number;
};

/** Bars stacked per x (events by status, tokens by kind). */
export function StackedBars(props: ChartProps) {
  const { data, x, series, tick, heading, unit, height = 200 } = props;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -16 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey={x} tick={axis} tickFormatter={tick} tickLine={false} minTickGap={16} />
        <YAxis tick={axis} allowDecimals={false} tickLine={false} axisLine={false} />
        <Tooltip
          cursor={{ fill: "var(--muted)" }}
          content={(p) => (
            <ChartTooltip
              active={p.active}
              payload={p.payload}
              label={p.label}
              unit={unit}
              labelOf={heading}
            />
          )}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendLabel} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="a" fill={s.color} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Lines per x (latency p50 and p95); gaps where there is no value. */
export function Lines(props: ChartProps) {
  const { data, x, series, tick, heading, unit, height = 200 } = props;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey={x} tick={axis} tickFormatter={tick} tickLine={false} minTickGap={16} />
        <YAxis tick={axis} tickLine={false} axisLine={false} unit={unit} />
        <Tooltip
          content={(p) => (
            <ChartTooltip
              active={p.active}
              payload={p.payload}
              label={p.label}
              unit={unit}
              labelOf={heading}
            />
          )}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendLabel} />
        {series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stroke={s.color}
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls={false}
            type="monotone"
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
