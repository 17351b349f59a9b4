import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  COMMAND_DIRECTORIES,
  FORBIDDEN_CHARACTERS,
  MISSING_PARAMETER_MESSAGE,
  PYTHON_KEYWORDS,
  R_KEYWORDS,
  SANITY_MESSAGES,
  SUBMISSION_FIELDS,
  checkParameterValue,
  checkParameterValues,
  clearServerCommandsCache,
  parameterErrorMessage,
  serverCommands,
} from '../src/value-sanity';

const COMMANDS: ReadonlySet<string> = new Set(['rm', 'ls', 'wc', 'bash', 'true', 'false', 'python3.11']);
const reason = (value: string, commands = COMMANDS) => {
  const r = checkParameterValue(value, commands);
  return r.ok ? 'ok' : r.reason;
};

describe('A_A word lists', () => {
  test("PYTHON_KEYWORDS is Python 3's keyword.kwlist without 'in'", () => {
    assert.equal(PYTHON_KEYWORDS.length, 34);
    assert.ok(!PYTHON_KEYWORDS.includes('in'));
    for (const w of ['True', 'False', 'None', 'import', 'async', 'await', 'lambda', 'yield'])
      assert.ok(PYTHON_KEYWORDS.includes(w), w);
    assert.ok(!PYTHON_KEYWORDS.includes('match'), 'soft keywords are not in kwlist');
  });

  test("R_KEYWORDS is r_keywords.py's rkwlist: 1,184 strings, TRUE and FALSE commented out", () => {
    assert.equal(R_KEYWORDS.length, 1184);
    assert.equal(new Set(R_KEYWORDS).size, 1184);
    assert.equal(R_KEYWORDS[0], 'if');
    assert.equal(R_KEYWORDS[R_KEYWORDS.length - 1], 'zapsmall');
    assert.ok(!R_KEYWORDS.includes('TRUE') && !R_KEYWORDS.includes('FALSE'));
    for (const w of [
      'if',
      'NULL',
      'Inf',
      'NaN',
      'NA_character_',
      'c',
      't',
      'q',
      'T',
      'F',
      'ls',
      'rm',
      'sum',
      'mean',
      'log',
      'list',
      'all',
      '[[<-',
      '$<-.data.frame',
      'format.packageInfo',
      'xtfrm.Surv',
    ]) {
      assert.ok(R_KEYWORDS.includes(w), w);
    }
  });

  test('R_KEYWORDS keeps the two names Python joins where r_keywords.py misses a comma', () => {
    assert.ok(R_KEYWORDS.includes('as.data.frame.integeras.data.frame.list'));
    assert.ok(R_KEYWORDS.includes('is.orderedis.package_version'));
    for (const w of ['as.data.frame.integer', 'as.data.frame.list', 'is.ordered', 'is.package_version'])
      assert.ok(!R_KEYWORDS.includes(w), w);
    for (const w of ['as.data.frame.integer', 'as.data.frame.list', 'is.ordered']) assert.equal(reason(w), 'ok', w);
    assert.equal(reason('is.package_version'), 'punctuation', "its '_' is caught before the R test");
  });

  test("FORBIDDEN_CHARACTERS is string.punctuation + string.whitespace without '.'", () => {
    assert.equal(FORBIDDEN_CHARACTERS.size, 32 + 6 - 1);
    assert.ok(!FORBIDDEN_CHARACTERS.has('.'));
    for (const c of [...Array.from('!"#$%&\'()*+,-/:;<=>?@[\\]^_`{|}~'), ' ', '\t', '\n', '\r', '\x0b', '\x0c'])
      assert.ok(FORBIDDEN_CHARACTERS.has(c), JSON.stringify(c));
    for (const c of ['\u00a0', '\u3000', '\x85', 'é'])
      assert.ok(!FORBIDDEN_CHARACTERS.has(c), 'only ASCII whitespace: ' + JSON.stringify(c));
  });
});

describe('checkParameterValue', () => {
  test("A_A's tests (test_api_unittests.py): punctuation, unix command, Python and R reserved words rejected", () => {
    assert.equal(reason('asd|:'), 'punctuation');
    assert.equal(reason('rm'), 'r', "'rm' is rejected; it is an R function before it is a command");
    assert.equal(reason('import'), 'python');
    assert.equal(reason('format.packageInfo'), 'r');
    for (const v of ['123', '69', 'Value1', 'Value2']) assert.equal(reason(v), 'ok', v);
  });

  test('punctuation is a substring test; only the dot is allowed', () => {
    for (const v of [
      '-1',
      '1e-5',
      'a_b',
      'a b',
      'x/y',
      'a,b',
      'k:v',
      'tab\tin',
      'line\n',
      '$(id)',
      '`id`',
      'a;b',
      "'",
      '"',
    ]) {
      assert.equal(reason(v), 'punctuation', JSON.stringify(v));
    }
    for (const v of ['0.5', '.', '..', 'x.y', '1e5', 'a\u00a0b', 'émile', ''])
      assert.equal(reason(v), 'ok', JSON.stringify(v));
  });

  test('keywords, R names and commands must equal the whole value', () => {
    assert.equal(reason('True'), 'python');
    assert.equal(reason('None'), 'python');
    assert.equal(reason('in'), 'ok', "'in' is removed from the Python list");
    assert.equal(reason('TRUE'), 'ok');
    assert.equal(reason('FALSE'), 'ok');
    assert.equal(reason('T'), 'r');
    assert.equal(reason('F'), 'r');
    assert.equal(reason('true'), 'command');
    assert.equal(reason('false'), 'command');
    assert.equal(reason('wc'), 'command');
    assert.equal(reason('bash'), 'command');
    assert.equal(reason('python3.11'), 'command');
    for (const v of ['Trueish', 'imports', 'rmdir', 'bash2', 'c1', 'cc', 'notin']) assert.equal(reason(v), 'ok', v);
    assert.equal(reason('true', new Set()), 'ok', 'the command list is the host’s');
  });

  test('the tests run in A_A order: punctuation, Python, R, command', () => {
    const everything = new Set(['if', 'True', 'c', 'a-b']);
    assert.equal(reason('a-b', everything), 'punctuation');
    assert.equal(reason('if', everything), 'python', "'if' is a Python keyword and an R word");
    assert.equal(reason('c', everything), 'r');
  });

  test("the messages are A_A's, word for word", () => {
    assert.deepEqual(checkParameterValue('a b', COMMANDS), {
      ok: false,
      reason: 'punctuation',
      message: 'Incoming data can not contain punctuation: ',
    });
    assert.deepEqual(checkParameterValue('True', COMMANDS), {
      ok: false,
      reason: 'python',
      message: 'Incoming data can not contain python keyords: True',
    });
    assert.deepEqual(checkParameterValue('sum', COMMANDS), {
      ok: false,
      reason: 'r',
      message: 'Incoming data can not contain R keywords: sum',
    });
    assert.deepEqual(checkParameterValue('wc', COMMANDS), {
      ok: false,
      reason: 'command',
      message: 'Incoming data can not contain unix commands: wc',
    });
    assert.deepEqual(checkParameterValue('12', COMMANDS), { ok: true });
    assert.equal(SANITY_MESSAGES.python, 'Incoming data can not contain python keyords: ');
  });

  test("parameterErrorMessage builds post()'s 400 text", () => {
    assert.equal(
      parameterErrorMessage('job1', SANITY_MESSAGES.r + 'sum'),
      'Required Parameter for job1 Missing.Incoming data can not contain R keywords: sum. GET /analytics_automated/endpoints to discover all required options',
    );
    assert.equal(
      parameterErrorMessage('psipred', MISSING_PARAMETER_MESSAGE),
      'Required Parameter for psipred Missing.You are missing a required parameter in your web form submission. GET /analytics_automated/endpoints to discover all required options',
    );
  });
});

describe('checkParameterValues', () => {
  test('every field in order, first failure wins and is named', () => {
    assert.deepEqual(
      checkParameterValues(
        [
          ['task1_a', '5'],
          ['task1_b', 'True'],
          ['task1_c', 'x y'],
        ],
        COMMANDS,
      ),
      {
        ok: false,
        field: 'task1_b',
        reason: 'python',
        message: SANITY_MESSAGES.python + 'True',
      },
    );
    assert.deepEqual(checkParameterValues({ task1_a: '5', undeclared: 'rm' }, COMMANDS), {
      ok: false,
      field: 'undeclared',
      reason: 'r',
      message: SANITY_MESSAGES.r + 'rm',
    });
    assert.deepEqual(
      checkParameterValues(
        new Map([
          ['task1_this', 'Value1'],
          ['task1_that', 'Value2'],
        ]),
        COMMANDS,
      ),
      { ok: true },
    );
    assert.deepEqual(checkParameterValues({}, COMMANDS), { ok: true });
  });

  test('the fields A_A takes out first', () => {
    assert.deepEqual(SUBMISSION_FIELDS, ['submission_name', 'email', 'job', 'input_data']);
  });
});

describe('serverCommands', () => {
  const root = mkdtempSync(join(tmpdir(), 'aa-cmds-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('regular files (through symbolic links), not directories or broken links, not recursive; cached', () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(join(a, 'subdir'), { recursive: true });
    mkdirSync(b);
    writeFileSync(join(a, 'tool'), '');
    writeFileSync(join(a, 'subdir', 'deep'), '');
    symlinkSync(join(a, 'tool'), join(a, 'linked'));
    symlinkSync(join(a, 'nowhere'), join(a, 'broken'));
    symlinkSync(join(a, 'subdir'), join(a, 'dirlink'));
    writeFileSync(join(b, 'other.sh'), '');
    const dirs = [a, join(root, 'missing'), b];
    const found = serverCommands(dirs);
    assert.deepEqual([...found].sort(), ['linked', 'other.sh', 'tool']);
    writeFileSync(join(b, 'later'), '');
    assert.equal(serverCommands(dirs), found, 'the second call is served from the cache');
    clearServerCommandsCache();
    assert.ok(serverCommands(dirs).has('later'));
  });

  test("A_A's directories, and this host's commands", () => {
    assert.deepEqual(COMMAND_DIRECTORIES, [
      '/bin',
      '/usr/bin',
      '/sbin',
      '/usr/sbin',
      '/usr/local/bin',
      '/usr/local/sbin',
      '/opt',
    ]);
    const commands = serverCommands();
    for (const name of ['sh', 'ls', 'true']) {
      if (existsSync(`/bin/${name}`) || existsSync(`/usr/bin/${name}`)) assert.ok(commands.has(name), name);
    }
    assert.equal(serverCommands(), commands);
  });
});
