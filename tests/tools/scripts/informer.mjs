// A @kubernetes/client-node informer on the ConfigMaps of one namespace, driven over stdin/stdout by a test:
// prints one JSON line per informer event, "started" when informer.start() returns, the cache on "list",
// and "stopped" on "stop", after which the process must exit on its own (nothing left open).
import * as k8s from '@kubernetes/client-node';
import * as readline from 'node:readline';

const namespace = process.argv[2] ?? 'default';
const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const api = kc.makeApiClient(k8s.CoreV1Api);
const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => api.listNamespacedConfigMap({ namespace }));
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

informer.on('add', (o) => out({ event: 'add', name: o.metadata.name }));
informer.on('update', (o) => out({ event: 'update', name: o.metadata.name }));
informer.on('delete', (o) => out({ event: 'delete', name: o.metadata.name }));
informer.on('connect', () => out({ event: 'connect' }));
informer.on('error', (e) => out({ event: 'error', message: String(e?.message ?? e) }));

const input = readline.createInterface({ input: process.stdin });
input.on('line', async (command) => {
  if (command === 'list') {
    out({ event: 'cache', names: informer.list().map((o) => o.metadata.name).sort() });
  } else if (command === 'stop') {
    const started = performance.now();
    await informer.stop();
    out({ event: 'stopped', ms: Math.round(performance.now() - started) });
    input.close();
  }
});

const started = performance.now();
await informer.start();
out({ event: 'started', ms: Math.round(performance.now() - started) });
