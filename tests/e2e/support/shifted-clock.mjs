/**
 * Preloaded into a production server (`node --import`) by end-to-end tests that need the server
 * to live at a chosen moment: E2E_CLOCK_START is the instant the server's clock reads when it
 * starts, and from then on it ticks in real time. Only `Date` moves; timers are untouched.
 * The product has no clock setting of its own: this file exists for tests alone.
 */
const start = process.env.E2E_CLOCK_START;
if (start) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const offset = RealDate.parse(start) - realNow();
  if (Number.isNaN(offset)) throw new Error(`E2E_CLOCK_START is not an instant: ${start}`);
  RealDate.now = () => realNow() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return args.length === 0 ? Reflect.construct(target, [target.now()], newTarget) : Reflect.construct(target, args, newTarget);
    },
  });
}
