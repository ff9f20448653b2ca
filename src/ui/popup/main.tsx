import { render } from 'preact';
import '../theme.css';
import './popup.css';
import { Popup } from './Popup';

document.documentElement.lang = navigator.language;
render(<Popup />, document.getElementById('app')!);
