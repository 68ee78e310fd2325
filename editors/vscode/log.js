// The server's stderr is zap's JSON log, one object a line. This turns each
// line into a LogOutputChannel entry at the line's own level, with the
// message first and the fields after it, so an info line reads as info.
'use strict';

const levels = { debug: 'debug', info: 'info', warn: 'warn', error: 'error', dpanic: 'error', panic: 'error', fatal: 'error' };
const skipped = new Set(['level', 'ts', 'msg', 'logger', 'caller', 'stacktrace']);

/** formatLine returns {level, text} for one stderr line of the server. */
function formatLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return { level: 'info', text: line }; // not the JSON log: a Go runtime message, for example
  }
  if (!entry || typeof entry !== 'object' || typeof entry.msg !== 'string') return { level: 'info', text: line };
  const fields = Object.keys(entry)
    .filter((k) => !skipped.has(k))
    .map((k) => `${k}=${typeof entry[k] === 'string' ? entry[k] : JSON.stringify(entry[k])}`);
  const who = entry.logger ? `[${entry.logger}] ` : '';
  let text = `${who}${entry.msg}${fields.length ? ` ${fields.join(' ')}` : ''}`;
  if (entry.stacktrace) text += `\n${entry.stacktrace}`;
  return { level: levels[entry.level] || 'info', text };
}

/** logLine writes one server stderr line to a LogOutputChannel. */
function logLine(channel, line) {
  const { level, text } = formatLine(line);
  channel[level](text);
}

module.exports = { formatLine, logLine };
