/**
 * Cursor pagination. A `list` call returns a `PagePromise`: await it for one page
 * (`{ object: "list", data, has_more }`), or iterate it with `for await` to walk every object across
 * pages (newest first), each fetched once with `starting_after` = the last id of the page before.
 *
 *   const page = await pier.orders.list({ limit: 10 });
 *   for await (const order of pier.orders.list({ status: "escrowed" })) { ... }
 */
import type { WithResponse } from "./call.ts";

export interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

export interface ListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

export class PagePromise<T extends { id: string }, P extends ListParams = ListParams>
  implements PromiseLike<WithResponse<Page<T>>>, AsyncIterable<T>
{
  #first: Promise<WithResponse<Page<T>>> | undefined;

  constructor(
    private readonly fetchPage: (params: P) => Promise<WithResponse<Page<T>>>,
    private readonly params: P,
  ) {}

  #firstPage(): Promise<WithResponse<Page<T>>> {
    this.#first ??= this.fetchPage(this.params);
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is awaited like a promise by design
  then<A = WithResponse<Page<T>>, B = never>(
    onfulfilled?: ((value: WithResponse<Page<T>>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  /** Every page in order (backwards with `ending_before`), each requested once. */
  async *pages(): AsyncGenerator<WithResponse<Page<T>>> {
    let page = await this.#firstPage();
    const backwards = this.params.ending_before !== undefined;
    while (true) {
      yield page;
      const edge = backwards ? page.data[0] : page.data.at(-1);
      if (!page.has_more || !edge) return;
      const { starting_after: _a, ending_before: _b, ...rest } = this.params;
      page = await this.fetchPage({
        ...rest,
        ...(backwards ? { ending_before: edge.id } : { starting_after: edge.id }),
      } as P);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every object (up to `max`, default 10 000) into one array. */
  async toArray({ max = 10_000 }: { max?: number } = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}
