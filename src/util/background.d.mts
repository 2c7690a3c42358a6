/** Types of background.mjs (plain JavaScript: the workers' bootstraps call it before tsx is registered). */
export declare const BACKGROUND_NICE: number;
/** Moves the calling thread behind the event loop (nice +10, Linux only: nice is per thread there). */
export declare function runInBackground(): void;
