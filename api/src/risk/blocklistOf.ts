/** One blocklist per API process (per context), built from the configuration on first use. */
import type { AppContext } from "../context.ts";
import { type Blocklist, createBlocklist } from "./blocklist.ts";

const lists = new WeakMap<AppContext, Blocklist>();

export function blocklistOf(ctx: AppContext): Blocklist {
  let list = lists.get(ctx);
  if (!list) {
    list = createBlocklist(ctx.config.risk.blocklist, ctx.config.risk.blocklistRefreshMs, ctx.log);
    lists.set(ctx, list);
  }
  return list;
}
