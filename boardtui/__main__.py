from boardtui.launch import main

main()
