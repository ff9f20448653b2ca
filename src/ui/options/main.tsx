import { render } from 'preact';
import '../theme.css';
import './options.css';
import { Options } from './Options';

document.documentElement.lang = navigator.language;
render(<Options />, document.getElementById('app')!);
