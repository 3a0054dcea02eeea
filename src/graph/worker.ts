/** The graph screen's thread (GraphThread starts it): screens the batches the scan sends, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import type { GraphSpec } from './patterns.js';
import { screenOnThread, type FromThread, type ToThread } from './thread.js';

const { specs, maxLatenessMs } = workerData as { specs: GraphSpec[]; maxLatenessMs: number };
const port = parentPort!;
const receive = screenOnThread(specs, maxLatenessMs, (m: FromThread) => port.postMessage(m));
port.on('message', (m: ToThread) => receive(m));
