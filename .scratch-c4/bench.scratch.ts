import { it } from 'vitest';
import { benchContent } from '../bench/content.js';
it('bench', () => { benchContent(0.05); console.log(JSON.stringify(benchContent())); });
