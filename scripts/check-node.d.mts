export declare const MIN_NODE: [number, number];
export interface NodeFacts {
  version: string;
  platform: string;
  arch: string;
  execPath: string;
  /** The Node that runs npm itself, when it differs from the one npm scripts get. */
  npmNode?: string | undefined;
}
export declare function nodeVerdict(facts: NodeFacts): { ok: boolean; message: string };
