import { PropsWithChildren } from 'react';
import { installZhErrors } from '@jiayi/shared/schemas/zod-zh';
import './app.css';

installZhErrors();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
