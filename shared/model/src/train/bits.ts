/** Converts a mean loss in nats per byte to bits per byte. */
export function bitsPerByte(lossNats: number): number {
  return lossNats / Math.LN2;
}
