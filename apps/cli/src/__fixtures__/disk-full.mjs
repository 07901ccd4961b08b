// A disk that fills up, at the fs boundary, for disk-faults.test.ts. Loaded into the CLI and its
// stage processes with NODE_OPTIONS="--import=<this file>" (the stages inherit NODE_OPTIONS), it
// gives every write under CLANSTATS_TEST_DISK_DIR a budget of CLANSTATS_TEST_DISK_FREE bytes per
// process: writes fit until the budget is spent, then the write that does not fit writes what
// fits (a half-written file, as on a real disk) and fails with ENOSPC. statfs reports the budget
// as the free space there. writeFile, writeFileSync, copyFile(Sync), createWriteStream and the
// FileHandle writes of fs/promises' open (exceljs' streamed workbooks) are covered; SQLite's own
// writes (native code) are not.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';

const fs = createRequire(import.meta.url)('node:fs');
const dir = process.env.CLANSTATS_TEST_DISK_DIR;
let free = Number(process.env.CLANSTATS_TEST_DISK_FREE ?? 0);

if (dir !== undefined && dir !== '') {
  const root = resolve(dir);
  const inside = (path) => {
    if (typeof path !== 'string' && !(path instanceof URL) && !Buffer.isBuffer(path)) return false;
    const full = resolve(String(path instanceof URL ? path.pathname : path));
    return full === root || full.startsWith(`${root}${sep}`);
  };
  const enospc = (path) =>
    Object.assign(new Error(`ENOSPC: no space left on device, write '${String(path)}'`), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'write',
      path: String(path),
    });
  /** How many of `length` bytes fit; spends them. */
  const take = (length) => {
    const fits = Math.min(length, free);
    free -= fits;
    return fits;
  };
  const bytesOf = (data, encoding) =>
    typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : Buffer.from(data);
  const encodingOf = (options) => (typeof options === 'string' ? options : options?.encoding);

  const { promises } = fs;
  const writeFileSync = fs.writeFileSync;
  fs.writeFileSync = (path, data, options) => {
    if (!inside(path)) return writeFileSync(path, data, options);
    const bytes = bytesOf(data, encodingOf(options));
    const fits = take(bytes.length);
    writeFileSync(path, bytes.subarray(0, fits), options);
    if (fits < bytes.length) throw enospc(path);
  };
  const writeFile = promises.writeFile;
  promises.writeFile = async (path, data, options) => {
    if (!inside(path)) return writeFile(path, data, options);
    const bytes = bytesOf(data, encodingOf(options));
    const fits = take(bytes.length);
    await writeFile(path, bytes.subarray(0, fits), options);
    if (fits < bytes.length) throw enospc(path);
  };
  const copyFileSync = fs.copyFileSync;
  fs.copyFileSync = (from, to, mode) => {
    if (!inside(to)) return copyFileSync(from, to, mode);
    fs.writeFileSync(to, fs.readFileSync(from));
  };
  const copyFile = promises.copyFile;
  promises.copyFile = async (from, to, mode) => {
    if (!inside(to)) return copyFile(from, to, mode);
    await promises.writeFile(to, await promises.readFile(from));
  };
  const createWriteStream = fs.createWriteStream;
  fs.createWriteStream = (path, options) => {
    const stream = createWriteStream(path, options);
    if (!inside(path)) return stream;
    const write = stream._write.bind(stream);
    stream._writev = null;
    stream._write = (chunk, encoding, callback) => {
      if (take(chunk.length) < chunk.length) callback(enospc(path));
      else write(chunk, encoding, callback);
    };
    return stream;
  };
  const open = promises.open;
  promises.open = async (path, flags, mode) => {
    const handle = await open(path, flags, mode);
    if (!inside(path) || !/[wa+]/.test(String(flags ?? 'r'))) return handle;
    const write = handle.write.bind(handle);
    handle.write = async (data, ...rest) => {
      const length = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      if (take(length) < length) throw enospc(path);
      return write(data, ...rest);
    };
    const writev = handle.writev.bind(handle);
    handle.writev = async (buffers, ...rest) => {
      const length = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
      if (take(length) < length) throw enospc(path);
      return writev(buffers, ...rest);
    };
    return handle;
  };
  const statfsSync = fs.statfsSync;
  fs.statfsSync = (path, options) => {
    const stats = statfsSync(path, options);
    if (inside(path)) {
      stats.bsize = 1;
      stats.bavail = free;
      stats.bfree = free;
    }
    return stats;
  };
  syncBuiltinESMExports();
}
