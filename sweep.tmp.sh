#!/bin/bash
# usage: sweep.tmp.sh [secs]
S=${1:-5}
cd /work/main
CA=$(npx tsx cookie.tmp.ts file:/tmp/s1w.sqlite .bench-cache/large-s1-seed1.json admin)
CC=$(npx tsx cookie.tmp.ts file:/tmp/s1w.sqlite .bench-cache/large-s1-seed1.json counselor)
CS=$(npx tsx cookie.tmp.ts file:/tmp/s1w.sqlite .bench-cache/large-s1-seed1.json staff)
H=http://127.0.0.1:3202
npx tsx hammer.tmp.ts $H /shell "$CC" $S
npx tsx hammer.tmp.ts $H / "$CC" $S
npx tsx hammer.tmp.ts $H / "$CA" $S
npx tsx hammer.tmp.ts $H /patients "$CC" $S
npx tsx hammer.tmp.ts $H /patients/019dedd1-2540-723d-97aa-6ea0bc2b94a3 "$CC" $S
npx tsx hammer.tmp.ts $H /schedule/sessions/01a18ddc-7dc0-7cdf-8df8-65af30773989/roll "$CS" $S
npx tsx hammer.tmp.ts $H /schedule "$CS" $S
npx tsx hammer.tmp.ts $H /reports/attendance-by-group "$CA" $S
