/**
 * A connector's configuration is described once, declaratively; the runtime derives from it the
 * validation of every create and update, the per-field answers of the HTTP validate route, and
 * the generated documentation. A config that fails its spec is never started.
 */
export type ConfigType = 'string' | 'int' | 'boolean' | 'list' | 'password';

/** Raw connector config as users give it: every value a string (as in the seed's JSON). */
export type ConnectorConfig = Readonly<Record<string, string>>;

export interface ConfigField {
  name: string;
  type: ConfigType;
  /** Shown in validate answers and generated docs. */
  doc: string;
  /** A missing required field is an error; an optional one takes `default`. */
  required?: boolean;
  default?: string;
  /** Other names accepted for this field (a seed key and a later fork's key, say). */
  aliases?: readonly string[];
  /** For int: inclusive bounds. */
  min?: number;
  max?: number;
  /** For string and list items: the allowed values. */
  oneOf?: readonly string[];
  /** The group it is shown in (validate answers, docs); the connector's own fields have none. */
  group?: string;
  /** How much a user should care, as Kafka Connect's validate shows it (default medium). */
  importance?: 'high' | 'medium' | 'low';
  /** A short label for forms (default: the name). */
  displayName?: string;
  /** Extra check; returns an error message, or undefined when the value is fine. */
  check?: (value: string, config: ConnectorConfig) => string | undefined;
}

export interface ConfigSpec {
  fields: readonly ConfigField[];
  /**
   * Keys that identify this connector when a config names no class (the seed's URLs do not):
   * a config that has all of them is this connector's.
   */
  identifyingKeys?: readonly string[];
  /** Whether keys outside `fields` are accepted (pass-through prefixes such as `kafka.producer.`). */
  allowedPrefixes?: readonly string[];
}

/** One problem with one field, as the validate route reports it. */
export interface ConfigIssue {
  field: string;
  message: string;
}
