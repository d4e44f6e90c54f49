/**
 * The commands `main.ts` runs from the code-cached quick bundle (`quick-commands.ts` registers
 * exactly these). Apart so the entry knows them without loading that bundle.
 */
export const QUICK_COMMANDS: readonly string[] = ['validate'];
