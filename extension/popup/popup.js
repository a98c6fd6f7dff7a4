// The employee's view: connection state and exactly what is reported. Reads the service worker's session state.

import { describeFields } from '../src/transparency.js';
import { agentUrl } from '../src/reporter.js';
import { STATE_KEY } from '../src/state.js';

const CONNECTION_TEXT = {
  connected: 'Connected: the agent accepts the reports.',
  unreachable: 'Agent not reachable: reports wait a few minutes, then are dropped.',
  rejected: 'The agent refused the reports (this extension or its token is not allowed): they are dropped.',
  unknown: 'Nothing sent yet.',
};

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function time(ms) {
  return ms ? new Date(ms).toLocaleString() : 'never';
}

async function render() {
  const state = (await chrome.storage.session.get(STATE_KEY))[STATE_KEY];
  if (!state) {
    text('connection', 'Starting…');
    return;
  }
  const { delivery, policy } = state;
  const connection = document.getElementById('connection');
  connection.textContent = CONNECTION_TEXT[delivery.connection] ?? delivery.connection;
  connection.className = `status ${delivery.connection}`;
  text('agent-url', agentUrl(policy.agentPort));
  text('last-sent', time(delivery.lastSentAtMs));
  text('backlog', `${delivery.backlog.length} events`);
  text('dropped', `${delivery.dropped} events`);
  const list = document.getElementById('fields');
  list.replaceChildren(...describeFields(policy, state.browser).map((line) => {
    const item = document.createElement('li');
    item.textContent = line;
    return item;
  }));
  text('policy-source', {
    managed: 'set by your organization',
    cached: 'last settings of your organization (current ones not read yet)',
    defaults: 'defaults (your organization set nothing)',
  }[state.policySource] ?? state.policySource);
  text('last-event', state.lastEvent ? JSON.stringify(state.lastEvent, null, 2) : 'nothing yet');
}

document.getElementById('refresh').addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'report-now' }).catch(() => {});
  await render();
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'session' && STATE_KEY in changes) render();
});
render();
