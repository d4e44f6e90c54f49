/** The version `backline --version` prints (package.json's). */
export const VERSION = '0.1.0';
