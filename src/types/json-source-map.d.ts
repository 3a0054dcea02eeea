declare module 'json-source-map' {
  export interface Position { line: number; column: number; pos: number }
  export interface Mapping { value: Position; valueEnd: Position; key?: Position; keyEnd?: Position }
  export function parse(text: string): { data: unknown; pointers: Record<string, Mapping> };
}
