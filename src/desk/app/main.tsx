import { render } from 'preact';
import { App } from './App';
import './desk.css';

render(<App />, document.getElementById('app')!);
