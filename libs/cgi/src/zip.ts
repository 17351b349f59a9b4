/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local file headers, central directory, end of central directory
 * record; no ZIP64, no encryption, no data descriptors) for CGI's results download. Entries are DEFLATE-compressed
 * (node:zlib deflateRawSync) unless that does not make them smaller, in which case they are stored.
 *
 * Deterministic: every entry carries the same modification time (1980-01-01 00:00, the earliest DOS time, unless
 * `options.modified` says otherwise), so equal files give equal archives.
 */
import * as zlib from 'node:zlib';

export interface ZipEntry {
  /** A plain relative file name: printable ASCII, no "/" at the start, no "\", no ".." segment. */
  name: string;
  /** Text is written as UTF-8. */
  content: string | Uint8Array;
}

export interface ZipOptions {
  /** Modification time of every entry (local time fields, DOS precision: 2 s, years 1980–2107). */
  modified?: Date;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: DEFLATE
const MADE_BY_UNIX = (3 << 8) | VERSION;
const FILE_MODE = 0o100644;
const MAX_32 = 0xffffffff;

let table: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as ZIP and gzip use it), by table when zlib.crc32 (Node ≥ 20.15) is absent. */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof native === 'function') return native(data) >>> 0;
  return crc32Table(data);
}

/** The table implementation, exported for tests. */
export function crc32Table(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(d: Date | undefined): { time: number; date: number } {
  if (!d) return { time: 0, date: (0 << 9) | (1 << 5) | 1 };
  const year = d.getFullYear();
  if (Number.isNaN(year) || year < 1980 || year > 2107)
    throw new RangeError('zip: modification time must be within 1980–2107');
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function checkName(name: string): void {
  if (
    name === '' ||
    !/^[\x20-\x7e]+$/.test(name) ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.split('/').some((s) => s === '..' || s === '')
  ) {
    throw new Error(`zip: unusable entry name ${JSON.stringify(name)}`);
  }
}

/** Builds a ZIP archive of the given files, in the given order. */
export function zipFiles(files: ZipEntry[], options: ZipOptions = {}): Buffer {
  if (files.length > 0xffff) throw new RangeError('zip: more than 65535 entries needs ZIP64');
  const { time, date } = dosDateTime(options.modified);
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    checkName(file.name);
    if (seen.has(file.name)) throw new Error(`zip: duplicate entry name ${JSON.stringify(file.name)}`);
    seen.add(file.name);
    const name = Buffer.from(file.name, 'ascii');
    const data =
      typeof file.content === 'string'
        ? Buffer.from(file.content, 'utf8')
        : Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    if (data.length > MAX_32 || body.length > MAX_32 || offset > MAX_32)
      throw new RangeError('zip: entry too large without ZIP64');
    const crc = crc32(data);
    const method = stored ? 0 : 8;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number start
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38); // external attributes: Unix mode -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  if (offset > MAX_32 || directory.length > MAX_32) throw new RangeError('zip: archive too large without ZIP64');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, directory, end]);
}
