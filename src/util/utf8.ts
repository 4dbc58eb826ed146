/**
 * `to`, moved back (at most 3 bytes, never below `from`) so that a cut there does not split
 * a UTF-8 sequence: continuation bytes (10xxxxxx) belong to the character before them.
 */
export function utf8Cut(buf: Uint8Array, from: number, to: number): number {
  let at = to
  while (at > from && to - at < 4 && ((buf[at] ?? 0) & 0xc0) === 0x80) at--
  return at
}
