import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { SkipLink } from './ui.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(<><SkipLink /><App /></>);
