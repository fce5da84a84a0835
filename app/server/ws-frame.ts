// A complete, unmasked WebSocket text frame (RFC 6455 §5.2): what a server sends. The broadcast
// fan-out builds each group's frame once per cycle and writes the same bytes to every member's
// socket, instead of framing the message again for each client (ws frames on every `send`:
// a header allocated and two writes per client).

const SHORT = 125;
const MEDIUM = 0xffff;

export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length <= SHORT ? 2 : length <= MEDIUM ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (length <= SHORT) {
    frame[1] = length;
  } else if (length <= MEDIUM) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}
