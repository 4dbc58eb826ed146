// node bench/startup/cpu.mjs <file>: the one-event script, timed from inside the process, with the
// CPU time of all its threads (process.cpuUsage), which machine load moves less than wall time.
// Run it from the root of a built checkout (it imports `logship` from there).
const started = performance.now()
const cpuStart = process.cpuUsage()
const { createShipper } = await import('logship')
const imported = [performance.now() - started, process.cpuUsage(cpuStart)]
const shipper = createShipper({ output: { type: 'file', path: process.argv[2] }, handleExit: false })
shipper.write({ msg: 'one event' })
await shipper.close()
const closed = [performance.now() - started, process.cpuUsage(cpuStart)]
const ms = ([wall, cpu]) => `${Math.round(wall)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`
console.log(`import('logship'): ${ms(imported)}; through close(): ${ms(closed)}`)
