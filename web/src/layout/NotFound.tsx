import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFound() {
  return (
    <Stack align="flex-start">
      <Title order={1} size="h2">
        Nothing here
      </Title>
      <Text>This page does not exist, or you are not allowed to see it.</Text>
      <Button component={Link} to="/">
        Back to your stores
      </Button>
    </Stack>
  );
}
