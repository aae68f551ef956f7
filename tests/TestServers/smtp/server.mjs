// A real SMTP server on loopback for the SystemMail integration tests, with a small HTTP control API.
//
// Usage: node server.mjs '<json config>'   (or the JSON in the SMTP_TEST_SERVER_CONFIG environment variable)
//
// Config (every field optional):
//   host                 address to listen on, loopback only (default "127.0.0.1")
//   secure               implicit TLS from the first byte (default false)
//   starttls             offer STARTTLS on a plain listener (default true)
//   hideStartTls         accept STARTTLS but do not advertise it (default false)
//   authMethods          e.g. ["PLAIN"], ["LOGIN"], ["PLAIN","LOGIN","XOAUTH2"] (default ["PLAIN","LOGIN"])
//   authOptional         accept mail without AUTH (default false)
//   authDisabled         do not offer AUTH at all (default false)
//   allowInsecureAuth    allow AUTH before TLS (default false)
//   users                { "username": "password", ... } for PLAIN and LOGIN
//   xoauth2Tokens        access tokens XOAUTH2 accepts (default none)
//   keyPath, certPath    PEM files of the TLS key and certificate
//   size                 SIZE limit in bytes (default none)
//   name                 the name in the greeting and EHLO reply (default "localhost")
//   enhancedStatusCodes  advertise ENHANCEDSTATUSCODES and prefix replies with them (default false)
//   minTlsVersion, maxTlsVersion
//                        the TLS versions the server accepts, e.g. "TLSv1" and "TLSv1.1" for a server too old for
//                        today's clients (default: smtp-server's, TLS 1.0 up to what Node.js supports)
//   ciphers              the OpenSSL cipher list, e.g. "DEFAULT:@SECLEVEL=0" to allow TLS 1.0/1.1 under OpenSSL 3
//   hideSmtpUtf8         leave SMTPUTF8 out of the EHLO reply (default false: smtp-server offers it)
//   disableReverseLookup (default true)
//
// When both listeners are up, one JSON line goes to stdout: {"smtpPort":N,"controlPort":N}.
// The process exits when stdin closes, on SIGTERM and on SIGINT.
//
// Control API (JSON over HTTP on 127.0.0.1):
//   GET    /messages         received messages: id, connectionId, secure, user, mailFrom, rcptTo, size, declaredSize (MAIL FROM's SIZE=), raw, rawBase64
//   DELETE /messages         forgets the received messages
//   GET    /stats            connections, openConnections, closedConnections, authAttempts, commands, messages
//   DELETE /stats            resets the counters (open connections stay counted)
//   POST   /behaviour        replaces the runtime behaviour, see DEFAULT_BEHAVIOUR; {} restores the default
//   GET    /behaviour        the current behaviour
//   POST   /xoauth2-tokens   {"tokens":[...]}: the only access tokens XOAUTH2 accepts from now on
//   POST   /reset            messages, counters, behaviour and tokens back to the start
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { SMTPServer } from 'smtp-server';

const DEFAULT_BEHAVIOUR = Object.freeze({
  // {code, message}: every AUTH attempt fails with this reply, whatever the credentials.
  authReply: null,
  // {address?, code, message}: MAIL FROM is refused (for one address, or for all when address is absent).
  rejectSender: null,
  // [{address, code, message}]: RCPT TO for these addresses is refused.
  rejectRecipients: [],
  // N: the server closes a connection right after accepting its N-th message.
  closeAfterMessages: null,
  // {code, message}: sent before such a close (e.g. 421 "4.4.2 Error: timeout exceeded"); silent close when null.
  closeReply: null,
  // [{command: "MAIL"|"RCPT"|"DATA", count, code, message, drop}]: the next `count` such commands get this reply,
  // or with `drop` find the connection cut with no reply (at the end of DATA after the message was stored).
  failNext: [],
  // N: the reply to the end of DATA waits N ms (a slow server, for cancellation and timeouts).
  dataDelayMs: 0,
  // {dropRate, failRate, seed}: a misbehaving server. At MAIL, RCPT and the end of DATA, `failRate` of the
  // commands get 421 (and the connection closes) or 451, and `dropRate` of them find the connection cut with no
  // reply. A cut after the end of DATA comes after the message was stored: the client cannot know it arrived.
  chaos: null,
  // {code, message}: sent instead of the 220 greeting, then the connection closes (e.g. 554 "5.7.1 Access denied").
  greetingReply: null,
  // {code, message}: the reply to every EHLO and HELO (e.g. 501 "5.5.4 Invalid domain name").
  ehloReply: null,
  // {code, message}: the reply to STARTTLS, which then does not start TLS (e.g. 454 "4.7.0 TLS not available").
  startTlsReply: null,
  // {code, message}: AUTH and MAIL FROM on a connection without TLS get this reply, as Office 365 answers
  // 451 "5.7.3 STARTTLS is required to send mail"; with TLS they work as usual.
  requireTls: null,
  // {code, message}: the reply to the end of DATA instead of accepting the message (e.g. 554 "5.7.1 Message rejected").
  dataReply: null
});

// The owner closes stdin to stop the server, and a test run that dies closes it too: no server outlives its test.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

const config = readConfig();
const users = new Map(Object.entries(config.users ?? {}));
let chaosRandom = null;
let behaviour = normalizeBehaviour({});
let xoauth2Tokens = new Set(config.xoauth2Tokens ?? []);
let messages = [];
let nextMessageId = 1;
let stats = newStats();
let openConnections = 0;
const messagesPerConnection = new Map();

const disabledCommands = [];
if (config.starttls === false) {
  disabledCommands.push('STARTTLS');
}
if (config.authDisabled) {
  disabledCommands.push('AUTH');
}

const smtpOptions = {
  secure: !!config.secure,
  name: config.name ?? 'localhost',
  authMethods: config.authMethods ?? ['PLAIN', 'LOGIN'],
  authOptional: !!config.authOptional,
  allowInsecureAuth: !!config.allowInsecureAuth,
  hideSTARTTLS: !!config.hideStartTls,
  hideENHANCEDSTATUSCODES: !config.enhancedStatusCodes,
  hideSMTPUTF8: !!config.hideSmtpUtf8,
  disabledCommands,
  disableReverseLookup: config.disableReverseLookup ?? true,
  maxAllowedUnauthenticatedCommands: false,
  logger: commandCounter(),
  onConnect,
  onClose,
  onAuth,
  onMailFrom,
  onRcptTo,
  onData
};
if (config.size) {
  smtpOptions.size = config.size;
}
if (config.minTlsVersion) {
  smtpOptions.minVersion = config.minTlsVersion;
}
if (config.maxTlsVersion) {
  smtpOptions.maxVersion = config.maxTlsVersion;
}
if (config.ciphers) {
  smtpOptions.ciphers = config.ciphers;
}
if (config.keyPath && config.certPath) {
  smtpOptions.key = fs.readFileSync(config.keyPath);
  smtpOptions.cert = fs.readFileSync(config.certPath);
}

const smtp = new SMTPServer(smtpOptions);
smtp.on('error', err => process.stderr.write(`smtp error: ${err.message}\n`));

const control = http.createServer((request, response) => {
  handleControl(request, response).catch(err => reply(response, 500, { error: err.message }));
});

const host = config.host ?? '127.0.0.1';
if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
  fail(`host must be a loopback address; got ${host}`);
}

await Promise.all([listen(smtp.server, host), listen(control, '127.0.0.1')]);
process.stdout.write(JSON.stringify({ smtpPort: smtp.server.address().port, controlPort: control.address().port }) + '\n');


function readConfig() {
  const text = process.argv[2] ?? process.env.SMTP_TEST_SERVER_CONFIG ?? '{}';
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`the configuration is not JSON: ${err.message}`);
  }
}

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(2);
}

function listen(server, address) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

function newStats() {
  return { connections: 0, closedConnections: 0, authAttempts: [], commands: {}, messages: 0, chaosFailures: 0, chaosDrops: 0, droppedAfterData: [] };
}

// A small seeded generator (mulberry32), so a chaos run can be repeated.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Whether the command gets a scripted or random failure: null to go on, or {drop, run} where run answers it.
function misbehave(command, session, callback) {
  const scripted = behaviour.failNext.find(rule => rule.command === command && rule.count > 0);
  if (scripted) {
    scripted.count--;
    if (scripted.drop) {
      return { drop: true, run: () => dropConnection(session.id) };
    }

    return { drop: false, run: () => callback(smtpError(scripted.code, scripted.message)) };
  }

  const chaos = behaviour.chaos;
  if (!chaos) {
    return null;
  }

  chaosRandom ??= random(chaos.seed ?? 1);
  const roll = chaosRandom();
  if (roll < chaos.dropRate) {
    stats.chaosDrops++;
    return { drop: true, run: () => dropConnection(session.id) };
  }

  if (roll < chaos.dropRate + chaos.failRate) {
    stats.chaosFailures++;
    if (chaosRandom() < 0.5) {
      return {
        drop: false,
        run: () => {
          callback(smtpError(421, '4.4.2 Service shutting down, closing transmission channel'));
          setImmediate(() => dropConnection(session.id));
        }
      };
    }

    return { drop: false, run: () => callback(smtpError(451, '4.3.0 Temporary failure, try again later')) };
  }

  return null;
}

function dropConnection(sessionId) {
  for (const connection of smtp.connections) {
    if (connection.id === sessionId) {
      connection._socket.destroy();
    }
  }
}

function normalizeBehaviour(input) {
  const merged = { ...DEFAULT_BEHAVIOUR, ...(input ?? {}) };
  merged.rejectRecipients = (merged.rejectRecipients ?? []).map(rule => ({ ...rule, address: String(rule.address).toLowerCase() }));
  merged.failNext = (merged.failNext ?? []).map(rule => ({ ...rule, command: String(rule.command).toUpperCase() }));
  chaosRandom = null;
  return merged;
}

// smtp-server logs every command line at debug level; counting them there sees exactly what the client sent.
// Continuation lines of an AUTH exchange are logged as "/* secured */" and are not commands of their own.
function commandCounter() {
  const ignore = () => {};
  return {
    trace: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    debug(entry, _message, line) {
      if (entry?.tnx === 'command' && entry.command && line !== '/* secured */') {
        stats.commands[entry.command] = (stats.commands[entry.command] ?? 0) + 1;
      }
    }
  };
}

function smtpError(code, message) {
  const err = new Error(message);
  err.responseCode = code;
  return err;
}

function onConnect(session, callback) {
  stats.connections++;
  openConnections++;
  messagesPerConnection.set(session.id, 0);

  if (behaviour.greetingReply) {
    return callback(smtpError(behaviour.greetingReply.code, behaviour.greetingReply.message));
  }

  const connection = findConnection(session.id);
  if (connection) {
    overrideCommands(connection);
  }

  callback();
}

function findConnection(sessionId) {
  for (const connection of smtp.connections) {
    if (connection.id === sessionId) {
      return connection;
    }
  }
  return null;
}

// smtp-server has no hooks for EHLO and STARTTLS; the connection's own handlers are shadowed for the replies the
// behaviour asks for, read when the command arrives so a behaviour change applies to open connections too.
function overrideCommands(connection) {
  const ehlo = connection.handler_EHLO;
  const helo = connection.handler_HELO;
  const starttls = connection.handler_STARTTLS;
  const refuse = (reply, callback) => {
    connection.send(reply.code, reply.message, false);
    callback();
  };
  connection.handler_EHLO = (command, callback) =>
    behaviour.ehloReply ? refuse(behaviour.ehloReply, callback) : ehlo.call(connection, command, callback);
  connection.handler_HELO = (command, callback) =>
    behaviour.ehloReply ? refuse(behaviour.ehloReply, callback) : helo.call(connection, command, callback);
  connection.handler_STARTTLS = (command, callback) =>
    behaviour.startTlsReply ? refuse(behaviour.startTlsReply, callback) : starttls.call(connection, command, callback);
}

function onClose(session) {
  if (messagesPerConnection.delete(session.id)) {
    openConnections--;
    stats.closedConnections++;
  }
}

function onAuth(auth, session, callback) {
  const attempt = { method: auth.method, username: auth.username ?? null, success: false };
  stats.authAttempts.push(attempt);

  if (behaviour.requireTls && !session.secure) {
    return callback(smtpError(behaviour.requireTls.code, behaviour.requireTls.message));
  }

  if (behaviour.authReply) {
    return callback(smtpError(behaviour.authReply.code, behaviour.authReply.message));
  }

  if (auth.method === 'XOAUTH2') {
    // The XOAUTH2 failure as Google documents it: a 334 challenge with a base64 JSON error, then 535 after the client's empty line.
    const refuse = () => callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
    const accept = () => {
      attempt.success = true;
      callback(null, { user: auth.username });
    };
    if (xoauth2Tokens.has(auth.accessToken)) {
      return accept();
    }

    if (config.xoauth2Introspection) {
      // Ask the authorization server that issued the token (RFC 7662) whether it is valid, and for which mailbox.
      introspect(auth.accessToken)
        .then(answer => {
          const mailbox = (answer.username ?? '').toLowerCase();
          return answer.active && (!mailbox || mailbox === (auth.username ?? '').toLowerCase()) ? accept() : refuse();
        })
        .catch(err => {
          process.stderr.write(`introspection failed: ${err.message}\n`);
          callback(smtpError(454, '4.7.0 Temporary authentication failure'));
        });
      return;
    }

    return refuse();
  }

  if (users.has(auth.username) && users.get(auth.username) === auth.password) {
    attempt.success = true;
    return callback(null, { user: auth.username });
  }

  return callback(smtpError(535, '5.7.8 Error: authentication credentials invalid'));
}

function introspect(token) {
  const { url, caPath } = config.xoauth2Introspection;
  const body = new URLSearchParams({ token }).toString();
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'POST',
      ca: caPath ? fs.readFileSync(caPath) : undefined,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
    }, response => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', chunk => (text += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch (err) {
          reject(err);
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

function onMailFrom(address, session, callback) {
  if (behaviour.requireTls && !session.secure) {
    return callback(smtpError(behaviour.requireTls.code, behaviour.requireTls.message));
  }

  const failure = misbehave('MAIL', session, callback);
  if (failure) {
    return failure.run();
  }

  const rule = behaviour.rejectSender;
  if (rule && (!rule.address || rule.address.toLowerCase() === address.address.toLowerCase())) {
    return callback(smtpError(rule.code, rule.message));
  }

  callback();
}

function onRcptTo(address, session, callback) {
  const failure = misbehave('RCPT', session, callback);
  if (failure) {
    return failure.run();
  }

  const rule = behaviour.rejectRecipients.find(r => r.address === address.address.toLowerCase());
  if (rule) {
    return callback(smtpError(rule.code, rule.message));
  }

  callback();
}

function onData(stream, session, callback) {
  const chunks = [];
  stream.on('data', chunk => chunks.push(chunk));
  stream.on('end', () => {
    if (stream.sizeExceeded) {
      return callback(smtpError(552, '5.3.4 Error: message exceeds fixed maximum message size'));
    }

    if (behaviour.dataReply) {
      return callback(smtpError(behaviour.dataReply.code, behaviour.dataReply.message));
    }

    const failure = misbehave('DATA', session, callback);
    const raw = Buffer.concat(chunks);
    const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(raw.toString('utf8'))?.[1] ?? null;
    if (failure?.drop) {
      // Cut after the whole message arrived: stored, but the client never hears so.
      store(raw, session, messageId);
      stats.droppedAfterData.push(messageId);
      return failure.run();
    }

    if (failure) {
      return failure.run();
    }

    const id = store(raw, session, messageId);
    const count = (messagesPerConnection.get(session.id) ?? 0) + 1;
    messagesPerConnection.set(session.id, count);
    const answer = () => {
      callback(null, `2.0.0 Ok: queued as ${id}`);
      if (behaviour.closeAfterMessages && count >= behaviour.closeAfterMessages) {
        const closeReply = behaviour.closeReply;
        // After the reply above is written: the client has its 250, then the connection goes away.
        setImmediate(() => closeConnection(session.id, closeReply));
      }
    };
    if (behaviour.dataDelayMs > 0) {
      return setTimeout(answer, behaviour.dataDelayMs);
    }

    answer();
  });
}

function store(raw, session, messageId) {
  const id = nextMessageId++;
  messages.push({
    id,
    connectionId: session.id,
    secure: !!session.secure,
    user: session.user ? String(session.user) : null,
    mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
    rcptTo: session.envelope.rcptTo.map(r => r.address),
    size: raw.length,
    declaredSize: session.envelope.mailFrom && session.envelope.mailFrom.args && session.envelope.mailFrom.args.SIZE
      ? Number(session.envelope.mailFrom.args.SIZE)
      : null,
    raw: raw.toString('utf8'),
    rawBase64: raw.toString('base64'),
    messageId,
    receivedAt: Date.now()
  });
  stats.messages++;
  return id;
}

function closeConnection(sessionId, closeReply) {
  const connection = findConnection(sessionId);
  if (connection) {
    if (closeReply) {
      connection.send(closeReply.code, closeReply.message);
    }
    connection.close();
  }
}

async function handleControl(request, response) {
  const url = new URL(request.url, 'http://127.0.0.1');
  const route = `${request.method} ${url.pathname}`;
  switch (route) {
    case 'GET /messages':
      return reply(response, 200, messages);
    case 'DELETE /messages':
      messages = [];
      return reply(response, 204);
    case 'GET /stats':
      return reply(response, 200, { ...stats, openConnections });
    case 'DELETE /stats':
      stats = newStats();
      return reply(response, 204);
    case 'GET /behaviour':
      return reply(response, 200, behaviour);
    case 'POST /behaviour':
      behaviour = normalizeBehaviour(await readJson(request));
      return reply(response, 200, behaviour);
    case 'POST /xoauth2-tokens': {
      const body = await readJson(request);
      xoauth2Tokens = new Set(body?.tokens ?? []);
      return reply(response, 204);
    }
    case 'POST /reset':
      messages = [];
      stats = newStats();
      behaviour = normalizeBehaviour({});
      xoauth2Tokens = new Set(config.xoauth2Tokens ?? []);
      return reply(response, 204);
    default:
      return reply(response, 404, { error: `no route ${route}` });
  }
}

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) {
    chunks.push(chunk);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function reply(response, status, body) {
  if (body === undefined) {
    response.writeHead(status);
    response.end();
    return;
  }

  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
