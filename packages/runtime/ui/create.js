import { ApiError, request } from './api.js';
import { fill, h } from './dom.js';

const EXAMPLE = {
  name: 'my-connector',
  config: { 'connector.class': 'FileSourceConnector', 'tasks.max': '1' },
};

/**
 * Create from JSON: `{"name": ..., "config": {...}}` as Kafka Connect takes it, or a flat config
 * with a "name" key. Numbers and booleans become strings, as Kafka Connect's REST API does. The
 * config is validated first; each key's errors are shown next to it and nothing is created.
 */
export function createForm(onCreated) {
  const text = h(
    'textarea',
    { id: 'create-json', rows: 12, spellcheck: 'false' },
    JSON.stringify(EXAMPLE, null, 2),
  );
  const messages = h('div', { id: 'create-messages', class: 'messages' });
  const run = async (create) => {
    fill(messages);
    let parsed;
    try {
      parsed = parse(text.value);
    } catch (err) {
      return fill(messages, h('p', { class: 'error' }, err.message));
    }
    const cls = parsed.config['connector.class'];
    if (!cls) return fill(messages, fieldError('connector.class', 'is required'));
    try {
      const v = await request(
        'PUT',
        `/connector-plugins/${encodeURIComponent(cls)}/config/validate`,
        parsed.config,
      );
      const bad = v.configs.filter((c) => c.value.errors.length > 0);
      if (bad.length > 0)
        return fill(
          messages,
          bad.map((c) => fieldError(c.value.name, c.value.errors.join('; '))),
        );
      if (!create) return fill(messages, h('p', { class: 'ok' }, 'The config is valid.'));
      await request('POST', '/connectors', parsed);
      fill(messages, h('p', { class: 'ok' }, `Created ${parsed.name}.`));
      onCreated();
    } catch (err) {
      fill(
        messages,
        h('p', { class: 'error' }, err instanceof ApiError ? `${err.status}: ${err.message}` : err.message),
      );
    }
  };
  return h(
    'section',
    { id: 'create' },
    h('h2', {}, 'Create a connector'),
    text,
    h(
      'div',
      { class: 'row' },
      h('button', { id: 'validate', onclick: () => run(false) }, 'Validate'),
      h('button', { id: 'create-button', class: 'primary', onclick: () => run(true) }, 'Create'),
    ),
    messages,
  );
}

function fieldError(key, message) {
  return h('p', { class: 'error field', 'data-key': key }, h('code', {}, key), ` ${message}`);
}

function parse(json) {
  let value;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`Not JSON: ${err.message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('Expected a JSON object');
  const raw = value.config ?? value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error('"config" must be an object');
  const name = value.name ?? raw.name;
  if (typeof name !== 'string' || name === '') throw new Error('"name" is required');
  const config = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'object' && v !== null)
      throw new Error(`"${k}": values are strings, not objects or lists`);
    config[k] = String(v);
  }
  config.name = name;
  return { name, config };
}
