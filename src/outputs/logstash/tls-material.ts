/** Logstash uses the one TLS option shape of every output (src/outputs/tls.ts). */
export { tlsConnectOptions } from '../tls.js'
