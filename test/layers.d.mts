export declare const LAYERS: string[];
export declare function layerZones(layers: string[]): unknown[];
