/**
 * One daily (or monthly: `per="month"`, each date the month's first day) series as a uPlot line chart;
 * the numbers are also in the table next to it.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export function DailyChart({
  title,
  days,
  values,
  per = "day",
}: {
  title: string;
  days: string[];
  values: number[];
  per?: "day" | "month";
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(260, Math.min(el.clientWidth || 600, 720)),
        height: 180,
        legend: { show: false },
        series: [{}, { label: title, stroke: "#1f5eff", fill: "rgba(31,94,255,0.15)", width: 2 }],
        axes: [{}, { size: 60 }],
      },
      [xs, values],
      el,
    );
    return () => plot.destroy();
  }, [title, days, values]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={ref} role="img" aria-label={`${title}, per ${per}; the table below has the figures`} />
    </figure>
  );
}
