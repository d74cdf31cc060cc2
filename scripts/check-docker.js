#!/usr/bin/env node
/**
 * Keeps docker/ in step with package.json: the compose file parses and names the gateway,
 * postgres and redis services; the Dockerfile builds with the `build` script and starts with
 * the `start:prod` command; README.md, when present, shows the same commands.
 * Prints one line per check and exits 1 if any fails. Node built-ins only.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const COMPOSE_FILE = 'docker/compose.yaml';
const DOCKERFILE = 'docker/Dockerfile';
const README = 'README.md';
const SERVICES = ['gateway', 'postgres', 'redis'];

// Exit 1 means the file does not parse; any other failure (no python3, no PyYAML: exit 3)
// falls back to the line check.
const PY_LOAD_YAML = `
import json, sys
try:
    import yaml
except ImportError:
    sys.exit(3)
try:
    with open(sys.argv[1]) as f:
        doc = yaml.safe_load(f)
except (OSError, yaml.YAMLError) as e:
    print(" ".join(str(e).split()), file=sys.stderr)
    sys.exit(1)
json.dump(doc, sys.stdout, default=str)
`;

let failures = 0;

function check(name, run) {
  try {
    const detail = run();
    console.log(`ok    ${name}${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL  ${name}: ${error.message}`);
  }
}

function fail(message) {
  throw new Error(message);
}

function read(file) {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

// --- compose.yaml ---------------------------------------------------------------------------

function loadCompose() {
  const py = spawnSync('python3', ['-c', PY_LOAD_YAML, path.join(ROOT, COMPOSE_FILE)], { encoding: 'utf8' });
  if (py.status === 1) fail(py.stderr.trim());
  if (py.status !== 0) return { parser: 'line check', services: servicesByLines(read(COMPOSE_FILE)) };
  const doc = JSON.parse(py.stdout);
  if (!isMapping(doc)) fail('the document is not a mapping');
  if (!isMapping(doc.services)) fail('no services mapping');
  return { parser: 'PyYAML', services: Object.keys(doc.services) };
}

function isMapping(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A structural check for block-style YAML: no tabs, every line a comment, `key:`, `key: value`
 * or `- item`, indentation in steps of two, and a top-level `services:` whose keys sit at two
 * spaces. Returns the service names.
 */
function servicesByLines(text) {
  const services = [];
  let inServices = false;
  let sawServices = false;
  let blockScalarIndent = -1;

  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.trim() === '' || /^\s*#/.test(line)) return;
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent >= 0 && indent > blockScalarIndent) return;
    blockScalarIndent = -1;

    if (/^\s*\t/.test(line)) fail(`${where}: tab in indentation`);
    if (indent % 2 !== 0) fail(`${where}: indentation is not a multiple of two`);
    const body = line.slice(indent);
    if (!/^(-( .*)?|[A-Za-z0-9_.-]+:( .*)?)$/.test(body)) fail(`${where}: not a key, key: value or list item`);
    if (/:\s*[|>][+-]?\s*$/.test(body)) blockScalarIndent = indent;
    if (!isCompleteValue(valueOf(body))) fail(`${where}: unterminated quote or bracket`);

    if (indent === 0) {
      inServices = body === 'services:';
      sawServices ||= inServices;
      return;
    }
    const service = /^([A-Za-z0-9_.-]+):\s*$/.exec(body);
    if (inServices && indent === 2 && service) services.push(service[1]);
  });

  if (!sawServices) fail('no top-level services: key');
  return services;
}

function valueOf(body) {
  const match = /^(?:-|[A-Za-z0-9_.-]+:)\s*(.*)$/.exec(body);
  return match ? match[1].trim() : '';
}

/** A quoted or flow value ([...], {...}) must close on its line; plain scalars are free text. */
function isCompleteValue(value) {
  if (!/^["'[{]/.test(value)) return true;
  const unquoted = value.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '');
  if (/["']/.test(unquoted)) return false;
  let depth = 0;
  for (const char of unquoted) {
    if (char === '[' || char === '{') depth += 1;
    if (char === ']' || char === '}') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function checkCompose() {
  let compose;
  check(`${COMPOSE_FILE} parses`, () => {
    compose = loadCompose();
    return compose.parser;
  });
  check(`${COMPOSE_FILE} names the services ${SERVICES.join(', ')}`, () => {
    if (!compose) fail('the file did not parse');
    const missing = SERVICES.filter((name) => !compose.services.includes(name));
    if (missing.length > 0) fail(`missing ${missing.join(', ')} (found ${compose.services.join(', ') || 'none'})`);
  });
}

// --- Dockerfile ------------------------------------------------------------------------------

/** Instructions with continuation lines joined and comments dropped: [{ op: 'RUN', args: '...' }]. */
function dockerInstructions(text) {
  const instructions = [];
  let pending = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const joined = (pending + line).trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (match) instructions.push({ op: match[1].toUpperCase(), args: match[2].trim() });
  }
  return instructions;
}

/** The commands a shell-form RUN executes, split on && and ;. */
function shellCommands(args) {
  return args.split(/&&|;/).map((command) => command.trim().replace(/\s+/g, ' '));
}

/** The command line of a CMD, exec form (JSON) or shell form. */
function commandOf(instruction) {
  if (!instruction.args.startsWith('[')) return instruction.args.replace(/\s+/g, ' ');
  const argv = JSON.parse(instruction.args);
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string')) fail('CMD is not a list of strings');
  return argv.join(' ');
}

function checkDockerfile(scripts) {
  let instructions = [];
  check(`${DOCKERFILE} reads`, () => {
    instructions = dockerInstructions(read(DOCKERFILE));
    const stages = instructions.filter((instruction) => instruction.op === 'FROM').length;
    if (stages === 0) fail('no FROM instruction');
    return `${stages} stage${stages === 1 ? '' : 's'}`;
  });

  check(`${DOCKERFILE} builds with the build script (${scripts.build})`, () => {
    if (!scripts.build) fail('package.json has no build script');
    const accepted = ['npm run build', scripts.build];
    const commands = instructions.filter(({ op }) => op === 'RUN').flatMap(({ args }) => shellCommands(args));
    const used = commands.find((command) => accepted.includes(command));
    if (!used) fail(`no RUN runs ${accepted.map((command) => `\`${command}\``).join(' or ')}`);
    return `RUN ${used}`;
  });

  check(`${DOCKERFILE} starts with start:prod (${scripts['start:prod']})`, () => {
    if (!scripts['start:prod']) fail('package.json has no start:prod script');
    const cmd = instructions.filter(({ op }) => op === 'CMD').pop();
    if (!cmd) fail('no CMD instruction');
    const command = commandOf(cmd);
    if (command !== scripts['start:prod']) fail(`CMD runs \`${command}\``);
  });
}

// --- README.md -------------------------------------------------------------------------------

function mentions(text, command) {
  const escaped = command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w:-])${escaped}(?![\\w:-])`).test(text);
}

function checkReadme(scripts) {
  if (!fs.existsSync(path.join(ROOT, README))) {
    console.log(`skip  ${README} not found`);
    return;
  }
  const readme = read(README);
  const startCommands = ['npm run start:prod', scripts['start:prod']];
  if (scripts.start === scripts['start:prod']) startCommands.push('npm start');
  const expectations = [
    ['the build command', ['npm run build', scripts.build]],
    ['the start command', startCommands],
  ];
  for (const [what, commands] of expectations) {
    const candidates = commands.filter(Boolean);
    check(`${README} shows ${what}`, () => {
      const found = candidates.find((command) => mentions(readme, command));
      if (!found) fail(`mentions none of ${candidates.map((command) => `\`${command}\``).join(', ')}`);
      return found;
    });
  }
}

// ---------------------------------------------------------------------------------------------

function main() {
  const { scripts = {} } = JSON.parse(read('package.json'));
  checkCompose();
  checkDockerfile(scripts);
  checkReadme(scripts);
  if (failures > 0) {
    console.log(`${failures} check${failures === 1 ? '' : 's'} failed`);
    process.exit(1);
  }
}

main();
