/**
 * A local chain whose clock was moved forward (`pier time-travel`): says by how much, and that deadlines
 * follow the network's clock (chainClock.ts). Shown only beyond a few minutes of difference.
 */
import { useTranslation } from "react-i18next";
import type { ChainClock } from "../../lib/chainClock.ts";
import { useFormat } from "../../lib/localeFormat.ts";

export function ClockNotice({ clock }: { clock: ChainClock }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <p className="notice-bar" data-testid="clock-notice" data-offset={clock.offset}>
      {t("clock.ahead", { duration: f.duration(clock.offset), date: f.dateTime(clock.chainNow) })}
    </p>
  );
}
