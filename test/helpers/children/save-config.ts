// Saves two different endpoint lists in turn, as fast as it can, until killed.
import { saveConfig } from '../../../src/core/app/config-store';

const path = process.argv[2]!;
const list = (tag: string) =>
  Array.from({ length: 300 }, (_, i) => ({ name: `${tag}-${i}`, url: `ws://127.0.0.1:9/${tag}/${i}`, headers: { 'X-Pad': 'x'.repeat(200) } }));
const a = list('a');
const b = list('b');
// Ready only once the first list is saved: a run the parent kills has always left a file, however long the OS kept it waiting.
saveConfig(path, b);
process.stdout.write('ready\n');
for (let n = 1; ; n++) saveConfig(path, n % 2 ? a : b);
