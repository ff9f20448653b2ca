import { BUILD } from '../shared/build';
import browser from 'webextension-polyfill';
export const a = [BUILD, browser, window.name, document.title];
export const f = () => fetch('https://example.org/');
