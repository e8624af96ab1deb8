/**
 * Record ids, generated on the client before the first write so that a retried write is idempotent.
 */

let lastMs = 0;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter, then random bits. Ids made by
 * this function sort (as strings) in the order they were made, even within one millisecond (the counter,
 * RFC 9562 §6.2 method 1); the shift log relies on that to find the latest of two people counted at the same
 * time. Built on `crypto.getRandomValues`, not `crypto.randomUUID`, which only exists in secure contexts.
 */
export function newId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next millisecond rather than break the order.
    lastMs += 1;
    counter = 0;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const high = Math.floor(lastMs / 2 ** 32);
  const low = lastMs >>> 0;
  bytes.set([high >>> 8, high & 0xff, low >>> 24, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff], 0);
  bytes[6] = 0x70 | (counter >>> 8); // version 7
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
