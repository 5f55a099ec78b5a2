export declare function importGraph(): Map<string, Map<string, string[]>>;
export declare function cycles(edges: Map<string, Map<string, string[]>>): string[][];
export declare function folderOf(file: string): string;
