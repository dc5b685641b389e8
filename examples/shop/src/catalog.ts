/** What the shop sells. Prices are strings in the settlement token's smallest unit (tUSDC: 6 decimals). */
export interface Product {
  sku: string;
  name: string;
  price: string;
}

export const CATALOG: readonly Product[] = [
  { sku: "mug", name: "Pier mug", price: "12000000" },
  { sku: "tee", name: "Pier T-shirt", price: "25000000" },
  { sku: "sticker", name: "Sticker pack", price: "3500000" },
];

export function findProduct(sku: string): Product | undefined {
  return CATALOG.find((p) => p.sku === sku);
}
