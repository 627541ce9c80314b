from cliffwatch.cli import main

main()
