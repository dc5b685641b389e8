/** /v1/risk: the merchant's risk rules and the review queue of held or flagged payments. */
import { call, seg } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type {
  BodyOf,
  ListRiskReviewsParams,
  ResponseOf,
  RiskReview,
  RiskRules,
  UpdateRiskRulesParams,
} from "../types.ts";

export class Risk {
  readonly rules: {
    retrieve: (opts?: RequestOptions) => ReturnType<typeof call<RiskRules>>;
    /** PUT: replaces the rules; `viaPost: true` uses the POST form (idempotency key, retries). */
    update: (
      params: UpdateRiskRulesParams,
      opts?: RequestOptions & { viaPost?: boolean },
    ) => ReturnType<typeof call<ResponseOf<"/v1/risk/rules", "put">>>;
  };
  readonly reviews: {
    retrieve: (id: string, opts?: RequestOptions) => ReturnType<typeof call<RiskReview>>;
    list: (
      params?: ListRiskReviewsParams,
      opts?: RequestOptions,
    ) => PagePromise<RiskReview, ListRiskReviewsParams>;
    releaseHold: (
      id: string,
      params?: BodyOf<"/v1/risk/reviews/{id}/release-hold", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/risk/reviews/{id}/release-hold", "post">>>;
    refund: (
      id: string,
      params?: BodyOf<"/v1/risk/reviews/{id}/refund", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/risk/reviews/{id}/refund", "post">>>;
    dismiss: (
      id: string,
      params?: BodyOf<"/v1/risk/reviews/{id}/dismiss", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/risk/reviews/{id}/dismiss", "post">>>;
  };

  constructor(t: Transport) {
    this.rules = {
      retrieve: (opts) => call(t, { method: "GET", path: "/v1/risk/rules" }, opts),
      update: (params, opts) =>
        call(t, { method: opts?.viaPost ? "POST" : "PUT", path: "/v1/risk/rules", body: params }, opts),
    };
    this.reviews = {
      retrieve: (id, opts) => call(t, { method: "GET", path: `/v1/risk/reviews/${seg(id)}` }, opts),
      list: (params = {}, opts) =>
        new PagePromise(
          (query) => call<Page<RiskReview>>(t, { method: "GET", path: "/v1/risk/reviews", query }, opts),
          params,
        ),
      releaseHold: (id, params = {}, opts) =>
        call(t, { method: "POST", path: `/v1/risk/reviews/${seg(id)}/release-hold`, body: params }, opts),
      refund: (id, params = {}, opts) =>
        call(t, { method: "POST", path: `/v1/risk/reviews/${seg(id)}/refund`, body: params }, opts),
      dismiss: (id, params = {}, opts) =>
        call(t, { method: "POST", path: `/v1/risk/reviews/${seg(id)}/dismiss`, body: params }, opts),
    };
  }
}
