// Types for dynalite 4.0.0 (https://github.com/architect/dynalite), which ships none.
// Only the surface the local store uses is described: the factory returns a plain Node
// HTTP(S) server whose close() also closes the LevelDB store once in-flight requests finish.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  namespace dynalite {
    interface DynaliteOptions {
      /** LevelDB directory for persistence; omitted => in memory (memory-level). */
      path?: string;
      /** Milliseconds a table stays CREATING (default 500). */
      createTableMs?: number;
      /** Milliseconds a table stays DELETING (default 500). */
      deleteTableMs?: number;
      /** Milliseconds a table stays UPDATING (default 500). */
      updateTableMs?: number;
      /** Maximum item size in KB (default 400). */
      maxItemSizeKb?: number;
      /** Serve HTTPS with the bundled self-signed certificate (or key/cert/ca below). */
      ssl?: boolean;
      key?: string | Buffer;
      cert?: string | Buffer;
      ca?: string | Buffer;
      verbose?: boolean;
      debug?: boolean;
    }
  }

  function dynalite(options?: dynalite.DynaliteOptions): Server;

  export = dynalite;
}
