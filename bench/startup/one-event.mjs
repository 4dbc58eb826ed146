// A script that writes one event to a file output and closes: the shortest real use of the library.
import { createShipper } from 'logship'

const shipper = createShipper({ output: { type: 'file', path: process.argv[2] }, handleExit: false })
shipper.write({ msg: 'one event' })
await shipper.close()
