// client-node's Watch.watch() on a resource with nothing to send: prints how long watch() took to return
// (kube-apiserver answers with headers at once), then aborts the watch and lets the process exit.
import * as k8s from '@kubernetes/client-node';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const watch = new k8s.Watch(kc);
const started = performance.now();
const events = [];
const request = await watch.watch(process.argv[2], { resourceVersion: process.argv[3] }, (type, obj) => events.push(type), () => {});
process.stdout.write(JSON.stringify({ event: 'watching', ms: Math.round(performance.now() - started), events }) + '\n');
request.abort();
